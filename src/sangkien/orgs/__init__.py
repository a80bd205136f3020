"""The effective-dated union tree (cây tổ chức công đoàn), clusters and member counts."""
