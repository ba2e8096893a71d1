"""The engine: runs a compiled `Regelboek` (engine.ir) over declarations. Imports neither lark,
FastAPI nor SQLModel."""

ENGINE_VERSIE = "0.1.0"
