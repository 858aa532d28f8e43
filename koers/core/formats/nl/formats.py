"""Dutch dates in the same shape as the English ones, month names in lower case: 15 feb 2027.

`b` is the short month name as written; Django's `M` capitalises it ("15 Feb 2027"), which
is English, not Dutch.
"""

DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y H:i"
SHORT_DATETIME_FORMAT = "j b Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "b Y"
MONTH_DAY_FORMAT = "j b"
FIRST_DAY_OF_WEEK = 1
