"""The mapping of a peer's records to local ones (ExternalRef), read and written in bulk."""

from .models import ExternalRef, Peer


class RefMap:
    """A peer's mapped records of one kind: remote id → local id, and back."""

    def __init__(self, peer: Peer, kind: str):
        self.peer, self.kind = peer, kind
        rows = ExternalRef.objects.filter(peer=peer, kind=kind).values_list("remote_id", "local_id")
        self.local = dict(rows)
        self.remote = {local: remote for remote, local in self.local.items()}
        self.skipped: set[int] = set()  # remote ids this package leaves out (their parts too)

    def get(self, remote_id) -> int | None:
        return self.local.get(remote_id) if remote_id is not None else None

    def add(self, remote_id: int, local_id: int) -> None:
        ExternalRef.objects.create(
            peer=self.peer, kind=self.kind, remote_id=remote_id, local_id=local_id
        )
        self.local[remote_id], self.remote[local_id] = local_id, remote_id
