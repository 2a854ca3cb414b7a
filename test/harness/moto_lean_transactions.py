"""moto_server, with DynamoDB transactions that back up only the items they touch.

moto 5.2 backs up a transaction by deep-copying each table it names, once per item of the transaction, so a
transaction against a table of 2,000 items copies 6,000 items. The storm tests write a thousand detections through
transactions into one table, which made each take minutes. This server rolls a failed transaction back the same way
(every item it touched as it was before), from copies of those items only. Everything else is moto's own.

Run as moto_server is: python3 moto_lean_transactions.py -H 127.0.0.1 -p PORT
"""

import copy
import types

from moto.dynamodb import models
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.server import main

_transact_write_items = models.DynamoDBBackend.transact_write_items


def _deepcopy_except_tables(value, memo=None):
    """The backend's own backup of a whole table becomes the table itself; the wrapper keeps what a rollback needs."""
    return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched(backend, transact_items):
    """(table, hash key, range key) of each item a transaction names, where the request is well-formed enough to say."""
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        _, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        if table is None:
            continue
        attrs = op.get("Item") or op.get("Key") or {}
        if table.hash_key_attr not in attrs:
            continue
        if table.range_key_attr is not None and table.range_key_attr not in attrs:
            continue
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr is not None else None
        yield table, hash_key, range_key


def _restore(table, hash_key, range_key, item):
    if range_key is None:
        if item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
        return
    if item is None:
        table.items.get(hash_key, {}).pop(range_key, None)
    else:
        table.items[hash_key][range_key] = item


def transact_write_items(self, transact_items):
    saved = [
        (table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key)))
        for table, hash_key, range_key in _touched(self, transact_items)
    ]
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        # In reverse, so an item named twice ends as it was before the first.
        for table, hash_key, range_key, item in reversed(saved):
            _restore(table, hash_key, range_key, item)
        raise


models.copy = types.SimpleNamespace(deepcopy=_deepcopy_except_tables)
models.DynamoDBBackend.transact_write_items = transact_write_items

if __name__ == "__main__":
    main()
