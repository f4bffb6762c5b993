"""Modes of dataflow (chapter 4, "Modes of Dataflow"): deterministic, seeded simulations.

    rolling_upgrade  old and new code side by side behind a load balancer
    databases        data outlives code: rows written by v1, v2, v3, read by today's code
    services         a payment over a faulty network: retries, timeouts, idempotency keys
    messaging        a broker: buffering, redelivery, fan-out, request/reply
    actors           one message at a time, location transparency, upgrades across nodes

Each simulation is `run(...)`-style: parameters in, a `Run` of plain rows out (events,
series, counters, notes) for a page to plot. Messages are real bytes from formats/,
read with the other version's schema through a `dataflow.codec.Codec`. Pure Python:
no streamlit, no wall clock, no threads.
"""
