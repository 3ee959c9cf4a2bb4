"""The HTTP side: routes, request bodies, answers and recording, as Telegram's server does them.

``POST|GET /bot<token>/<method>`` takes query, form, multipart and JSON bodies alike;
``GET /file/bot<token>/<file_path>`` serves stored files.
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError, bad_request
from .faults import GATEWAY_HTML
from .methods import METHOD_NAMES, METHODS, Described
from .params import Params, UploadedFile
from .state import Call

if TYPE_CHECKING:
    from .api import FakeBotApi

_MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's upload limit for bots
_TOKEN_SHAPE = re.compile(r"^\d+:[\w-]+$")


async def _read_raw(request: web.Request) -> dict[str, Any]:
    """Query string and body merged into one mapping of raw values."""
    raw: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return raw
    if request.content_type == "application/json":
        try:
            body = json.loads(await request.text())
        except ValueError as exc:
            raise bad_request("can't parse JSON encoded request") from exc
        if not isinstance(body, dict):
            raise bad_request("JSON object expected as request body")
        raw.update(body)
    elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                raw[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                raw[name] = value
    return raw


def _answer(error: ApiError) -> web.Response:
    return web.json_response(error.body(), status=error.code)


class _Routes:
    """Request handlers bound to one :class:`FakeBotApi`."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    def _token_error(self, token: str) -> ApiError | None:
        if token == self.api.token:
            return None
        if _TOKEN_SHAPE.match(token):
            return ApiError(401, "Unauthorized")
        return ApiError(404, "Not Found")

    async def bot_method(self, request: web.Request) -> web.StreamResponse:
        api = self.api
        requested = request.match_info["method"]
        name = METHOD_NAMES.get(requested.lower())
        call = Call(method=name or requested, params={}, time=time.time())
        try:
            raw = await _read_raw(request)
            params = Params(raw, lambda field: api.field_kind(call.method, field))
            call.params = params.values
            call.chat_id = params.values.get("chat_id")
            error = self._token_error(request.match_info["token"])
            if error is not None:
                raise error
            if api.spec is not None:
                api.spec_problems.extend(api.spec.check_call(call.method, call.params))
            if name is None:
                raise ApiError(404, "Not Found")
            fault = api.faults.take(name, call.chat_id)
            if fault is not None and fault.disconnect:
                call.description = "connection closed without an answer (injected)"
                api.record(call)
                if request.transport is not None:
                    request.transport.abort()
                return web.Response()
            if fault is not None and fault.gateway_html:
                call.error_code, call.description = 502, "Bad Gateway"
                api.record(call)
                return web.Response(status=502, text=GATEWAY_HTML, content_type="text/html")
            if fault is not None:
                raise fault.error()
            result = await METHODS[name](api, params)
        except ApiError as exc:
            call.error_code, call.description = exc.code, exc.description
            api.record(call)
            return _answer(exc)
        body: dict[str, Any] = {"ok": True}
        if isinstance(result, Described):
            body["result"], body["description"] = result.result, result.description
        else:
            body["result"] = result
        call.ok, call.result = True, body["result"]
        api.record(call)
        return web.json_response(body)

    async def file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.api.token:
            return _answer(ApiError(401, "Unauthorized"))
        stored = self.api.files.by_path(request.match_info["path"])
        if stored is None:
            return _answer(ApiError(404, "Not Found"))
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, content_type=content_type)


def build_app(api: FakeBotApi) -> web.Application:
    app = web.Application(client_max_size=_MAX_UPLOAD)
    routes = _Routes(api)
    for verb in ("GET", "POST"):
        app.router.add_route(verb, "/bot{token}/{method}", routes.bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", routes.file)
    return app
