"""What truly everybody needs: Vietnamese text, time windows in Vietnam's time, the audit log."""
