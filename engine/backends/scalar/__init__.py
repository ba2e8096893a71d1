"""Backend 'scalar': the reference evaluator (engine.backends.basis.referentie), row by row."""
