import json
import logging
import re
import sys
from typing import Any

import pytest

from {{ cookiecutter.package_name }} import logs


{% include "server/test-logs.py" %}
