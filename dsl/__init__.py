"""The Dutch rule language: grammar, parser, AST, checks, compiler, loader, formatter."""
