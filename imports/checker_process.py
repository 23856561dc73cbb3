"""An import's batches read, converted and checked in a child process while the worker stores.

A process runs one thread of Python at a time: a writer thread could hide only the database's
waits, and converting and checking rows (the models' validation) is most of an import's
Python. So the worker forks a child that reads the file and checks each batch, which needs
no database, and sends it, pickled, through a pipe; the worker stores the batches in the
order they come, so a batch's duplicate check sees every batch before it, as in one process.
The pipe holds about one batch: the child checks batch N+1 while N is stored, then waits.

If the worker dies, the child's next send finds the pipe broken and it ends; if the child
dies, the worker reads the end of the pipe and fails the run (which continues from its last
stored batch when sent again).
"""

import copyreg
import gc
import io
import multiprocessing
import pickle
import signal
import warnings
from collections.abc import Iterator
from contextlib import suppress
from functools import cache
from traceback import format_exception

from django.apps import apps
from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState

#: The connections the child inherited: held, never used or closed. Closing one (or letting
#: it be collected) would end the worker's own session with the server.
_inherited = []


def checked_in_child(batches: Iterator, *, name: str) -> Iterator:
    """The items of ``batches`` (a generator not started yet), produced in a child process."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_produce, args=(batches, reader, writer), name=name, daemon=True)
    with warnings.catch_warnings():
        # The worker's sweeper thread may be running: the child only touches what is its
        # own (its file, fresh database connections, the pipe), no lock that thread holds.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        # The worker's objects are left out of the child's garbage collections, which would
        # otherwise write to (and so copy) the pages of the heap they share: the child's own
        # memory on 10,000 rows, 67 MB without, 29 MB with.
        gc.freeze()
        try:
            child.start()
        finally:
            gc.unfreeze()
    writer.close()
    try:
        while True:
            try:
                kind, payload = pickle.loads(reader.recv_bytes())
            except EOFError:
                child.join(5)
                raise ChildProcessError(
                    f"The process checking the file stopped (exit code {child.exitcode})."
                ) from None
            if kind == "end":
                return
            if kind == "error":
                raise payload
            yield payload
    finally:
        reader.close()
        if child.is_alive():
            child.kill()
        child.join()


def _produce(batches: Iterator, reader, writer) -> None:
    """The child: every batch sent, then "end"; or the error that stopped it."""
    reader.close()
    # Ctrl+C reaches the whole process group; the worker decides, and the child ends with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for alias in connections:
        _inherited.append(connections[alias])
        connections[alias] = connections.create_connection(alias)
    try:
        for batch in batches:
            writer.send_bytes(_dumps(("batch", batch)))
        writer.send_bytes(_dumps(("end", None)))
    except BrokenPipeError:
        return  # the worker has gone: no one to tell
    except BaseException as error:
        # Whatever it is (an unreadable row, a file cut short), the run fails with it, and
        # the worker's log shows where it happened here.
        error.add_note("In the process checking the file:\n" + "".join(format_exception(error)))
        with suppress(OSError):  # unless the worker has gone
            writer.send_bytes(_dumps(("error", _picklable(error))))
    finally:
        for connection in connections.all(initialized_only=True):
            connection.close()


def _dumps(message) -> bytes:
    """``message`` pickled, its records in a lighter form than Django's own (which looks
    each record's model up, and checks its version, one record at a time): a checked
    batch's records are most of the time the worker spends reading it."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _record_reducers()
    pickler.dump(message)
    return buffer.getvalue()


@cache
def _record_reducers() -> dict:
    return {**copyreg.dispatch_table, **dict.fromkeys(apps.get_models(), _reduce_record)}


def _reduce_record(record: Model):
    values = record.__dict__.copy()
    state = values.pop("_state")
    # The values are set once the record is in pickle's memo: a contact's customer and
    # that customer's new contact point at each other.
    return (
        _new_record,
        (type(record),),
        (values, state.adding, state.db, state.fields_cache),
        None,
        None,
        _set_record,
    )


def _new_record(model: type[Model]) -> Model:
    return model.__new__(model)


def _set_record(record: Model, pickled: tuple) -> None:
    values, adding, db, fields_cache = pickled
    record.__dict__.update(values)
    record._state = ModelState()
    record._state.adding, record._state.db = adding, db
    record._state.fields_cache = fields_cache


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(_dumps(error))
    except Exception:
        return RuntimeError("".join(format_exception(error)))
    return error
