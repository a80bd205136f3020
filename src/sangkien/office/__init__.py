"""The officers' face: sign-in, the tree of their subtree, imports and exports, tokens."""
