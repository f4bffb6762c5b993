"""One Streamlit session driven over Streamlit's own websocket protocol, without a browser.

The browser speaks protobuf over `/_stcore/stream`: it sends `BackMsg.rerun_script` (the page, the
widget values) and receives `ForwardMsg`s (the elements drawn, then `script_finished`). Doing the same
from asyncio lets one process hold dozens of sessions: Chromium under Playwright saturates these cores
long before the server does. Used by bench/bench_load.py and by the proxy test (tests/test_deploy.py).
"""
import asyncio
import time
import urllib.parse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class Session:
    """A connected session: `run()` opens or reruns the page, `edit(key, text)` types into a text area."""

    def __init__(self, url: str, page: str = "", cookie: str | None = None, session_id: str | None = None):
        parts = urllib.parse.urlsplit(url)
        if parts.hostname not in LOOPBACK:   # load and proxy tests only ever talk to this machine
            raise ValueError(f"{url}: only loopback servers are driven")
        self.stream_url = urllib.parse.urlunsplit(("ws", parts.netloc, parts.path.rstrip("/") + "/_stcore/stream", "", ""))
        self.page, self.cookie, self.session_id = page, cookie, session_id
        self.ws = None
        self.page_hash = ""
        self.widgets: dict[str, tuple[str, str]] = {}   # user key -> (widget id, fragment id or "")
        self.elements: list = []                        # the elements drawn by the last run
        self.exceptions: list[str] = []                 # st.exception elements in the last run

    async def __aenter__(self):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        # the browser sends ["streamlit", xsrf token, session to resume]; no auth here, so no token
        protocols = ["streamlit", "no-xsrf-token", self.session_id] if self.session_id else ["streamlit"]
        self.ws = await websockets.connect(self.stream_url, subprotocols=protocols, additional_headers=headers,
                                           max_size=None, open_timeout=30)
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def run(self, widget_states=(), fragment_id: str = "", timeout: float = 120) -> float:
        """Send one rerun and wait for its script_finished; returns the seconds it took."""
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.page_name, rerun.page_script_hash, rerun.fragment_id = self.page, self.page_hash, fragment_id
        rerun.widget_states.widgets.extend(widget_states)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        self.elements, self.exceptions = [], []
        async with asyncio.timeout(timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "new_session":
                    self.page_hash = fwd.new_session.page_script_hash
                    self.session_id = fwd.new_session.initialize.session_id or self.session_id
                elif kind == "navigation":   # st.navigation chose the page (page_name -> its hash)
                    self.page_hash = fwd.navigation.page_script_hash or self.page_hash
                elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    self._saw(fwd.delta.new_element, fwd.delta.fragment_id)
                elif kind == "script_finished":
                    if fwd.script_finished in DONE:
                        return time.perf_counter() - t0
                    if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        raise RuntimeError("the page failed to compile")

    def _saw(self, element, fragment_id: str) -> None:
        self.elements.append(element)
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        if isinstance(widget_id, str) and widget_id.startswith("$$ID"):
            key = widget_id.rsplit("-", 1)[-1]   # "$$ID-<hash>-<user key>" (or "None" without a key)
            self.widgets[key] = (widget_id, fragment_id)

    async def edit(self, key: str, text: str, timeout: float = 120) -> float:
        """Type `text` into the text area (or text input) with this key, as a blur does; seconds to render."""
        widget_id, fragment_id = self.widgets[key]
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id, state.string_value = widget_id, text
        return await self.run([state], fragment_id, timeout)

    async def click(self, key: str, timeout: float = 120) -> float:
        """Press the button with this key; seconds to render."""
        widget_id, fragment_id = self.widgets[key]
        state = BackMsg().rerun_script.widget_states.widgets.add()
        state.id, state.trigger_value = widget_id, True
        return await self.run([state], fragment_id, timeout)

    def texts(self) -> list[str]:
        """The text of the markdown, code and html elements drawn by the last run."""
        out = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind in ("markdown", "code"):
                out.append(getattr(element, kind).body if kind == "markdown" else element.code.code_text)
            elif kind == "html":
                out.append(element.html.body)
        return out
