"""(being written)"""

from ninja import Router

router = Router(tags=["待定"])
