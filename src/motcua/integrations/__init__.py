"""Connected systems (docs/architecture.md#connected-systems).

One sub-package per external system (`national_portal/`, ...), each with the same shape:
`interface.py` (what MotCua needs from that system, in MotCua's words), `client.py` (the real
HTTP client), `mapping.py` (the field mapping, in one place), `simulator.py` (a built-in HTTP
simulator of the system) and `conf.py` (its settings). The backbone (`backbone.py`) turns the
append-only dossier event log into outbound messages, one durable cursor per connected system,
and delivers them with retries, backoff and dead letters.
"""
