"""The prediction API: what serving adds to the package's training code, which never imports it.

The modules above this one (data, features, training, artifacts) are all the image's training
stage copies, so a change here rebuilds production without training the model again.
"""

from .app import create_app

__all__ = ["create_app"]
