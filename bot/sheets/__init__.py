"""Spreadsheets in and out (xlsx via openpyxl, csv): pure functions, bytes in and data out.

No storage and no telegram here; handlers fetch the file, call these and save what they return.
"""
