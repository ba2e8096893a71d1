"""The engine: runs a compiled `Regelboek` (engine.ir) over declarations. Imports neither lark,
FastAPI nor SQLModel."""
