"""The historical models are made by `motcua.core.history.ConfigHistory` on the configured
models themselves and registered in this app (no model is declared here)."""
