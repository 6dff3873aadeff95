"""``toolkit serve``: preview the published site on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import click

from .common import console, root_option

#: toolkit.serve.DEFAULT_PORT, repeated here so that loading the CLI does not
#: import the server (a test keeps the two equal).
DEFAULT_PORT = 8000


@click.command("serve")
@root_option
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
def serve(root: Path, port: int) -> None:
    """Preview the published show (ROOT/feeds) at http://127.0.0.1:PORT/.

    \b
    Serves subtitles, chapters and feeds with their real MIME types, CORS
    headers and HTTP range requests for audio, like a podcast host would.
    Stop it with Ctrl-C.

    \b
    Examples:
      toolkit serve                   # the show in the current folder
      toolkit serve --root myshow --port 8080
    """
    from .. import serve as serve_lib

    server = serve_lib.make_server(root / "feeds", port)
    host, bound = server.server_address[:2]
    console.print(f"serving {root / 'feeds'} at http://{host!s}:{bound}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print("stopped")
    finally:
        server.server_close()


COMMANDS: list[click.Command] = [serve]
