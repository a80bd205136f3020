"""The members' face: programme pages (and, later, the form, the receipt and the lookup)."""
