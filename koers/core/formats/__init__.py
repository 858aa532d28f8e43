"""Date formats per language (settings.FORMAT_MODULE_PATH), one shape for both languages."""
