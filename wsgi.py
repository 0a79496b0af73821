"""The WSGI entry point for gunicorn and ``flask --app wsgi``."""

import gc

from campaign import create_app

app = create_app()

# What start-up built (modules, templates, mappers, locale data: some 200,000 objects) lives as long as the
# process, and gunicorn builds it once (--preload) before forking its workers. Frozen, it is left out of every
# garbage collection in the workers: a full collection walking it took about 100 ms, a stall of each request
# waiting behind it, and writing its reference counts unshared the pages the workers share.
gc.freeze()
