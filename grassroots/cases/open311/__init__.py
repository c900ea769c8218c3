"""Open311 GeoReport v2 (and the mySociety ``servicerequestupdates`` extension) at ``/open311/v2/``."""
