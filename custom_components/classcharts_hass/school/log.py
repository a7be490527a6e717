"""The integration's logger, for the modules of this package.

Records keep the integration's logger name, so a user's ``logger:`` setting
for the integration covers them.
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger(__name__.rsplit(".", 2)[0])
