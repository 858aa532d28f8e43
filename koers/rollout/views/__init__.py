"""The pages of a project's rollout, by what they are about."""
