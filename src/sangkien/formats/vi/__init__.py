"""Local date and number formats: dd/mm/yyyy and 10.000.000 in both languages."""
