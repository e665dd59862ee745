"""somclient: a Python client for som, the service order management server.

    from somclient import Client, SomError, pb

    with Client() as som:                       # socket from SOM_SOCKET, else ./var/som.sock
        print(som.health().version)
        for result in som.submit_batch(requests):
            ...

`pb` holds every som.v1 message and enum; `somclient.json` converts them to and from proto3 JSON
(the same files somctl reads and writes). `AsyncClient` is the asyncio twin of `Client`.
"""

from somclient import pb
from somclient.client import DEFAULT_SOCKET, Client, Watch
from somclient.errors import SomError, StatusCode

__all__ = ["DEFAULT_SOCKET", "Client", "SomError", "StatusCode", "Watch", "pb"]
__version__ = "0.1.0"
