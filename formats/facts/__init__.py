"""What each format's specification fixes, one module per format: type ids, wire types, magic
bytes, the tables a walk labels bytes by (as protobuf keeps its own in internal/wire_format.py).

The walks, the writers' checks and the evolution rules all read these modules, so a fact is
written once: `numbers` holds the integer and float ranges every format shares.
"""
