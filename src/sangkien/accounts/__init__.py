"""Officers (cán bộ), their roles on a subtree, sign-in with lockout and TOTP, API tokens."""
