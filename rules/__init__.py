"""bnlint's rules: one module per rule, discovered by bnlint.registry (installed as bnlint.rules)."""
