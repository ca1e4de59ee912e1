"""Web shell: FastAPI + server-rendered Jinja2 templates over the library."""
