"""policyatlas: a cited, queryable atlas of which regions plan to support which industries."""

__version__ = "0.1.0"

__all__ = ["Atlas", "__version__"]


def __getattr__(name: str):
    # Lazy so that `import policyatlas` stays cheap for the CLI and worker processes.
    if name == "Atlas":
        from .atlas import Atlas

        return Atlas
    raise AttributeError(name)
