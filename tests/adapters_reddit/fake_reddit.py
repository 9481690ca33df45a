"""A small fake of Reddit's OAuth API (aiohttp, 127.0.0.1) for testing the adapter with real asyncpraw.

It keeps just enough state to behave like Reddit for a bot: posts per subreddit (listings newest
first, with ``before``), an inbox of unread comment replies and DMs, the comments and messages the bot
posts (listed back, newest first, at ``/user/<bot>/comments`` and ``/message/sent``), password-grant
tokens, rate-limit headers on every answer, and injectable faults (``fail("POST", "/api/comment", 500)``;
``takes_effect=True``: the comment is created first, then the fault is answered; status ``DROP``: the
connection is closed without an answer).
"""

from __future__ import annotations

import base64
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Every answer carries these so asyncprawcore's rate limiter never sleeps in tests
# (remaining/(remaining+used) of a 600 s window: nothing to wait for).
RATELIMIT_HEADERS = {"x-ratelimit-remaining": "599", "x-ratelimit-used": "0", "x-ratelimit-reset": "600"}

DROP = 0
"""A fault status: the server closes the connection instead of answering (the client sees it drop)."""


def _b36(n: int) -> str:
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = chars[r] + out
        if n == 0:
            return out


@dataclass
class Fault:
    method: str
    path: str
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    takes_effect: bool = False
    """The request is carried out (the comment created, the message sent) before the fault is answered:
    what Reddit does when the connection drops, or a 5xx comes back, after it created the comment."""


class FakeReddit:
    def __init__(
        self,
        *,
        client_id: str = "test-client",
        client_secret: str = "test-secret",
        username: str = "KindBot",
        password: str = "correct horse",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.username = username
        self.password = password
        self.posts: list[dict[str, Any]] = []  # oldest first
        self.inbox: list[dict[str, Any]] = []  # oldest first; "new" means unread
        self.comments: list[dict[str, Any]] = []  # what the bot posted via /api/comment
        self.sent_messages: list[dict[str, str]] = []  # what the bot sent via /api/compose
        self.requests: list[tuple[str, str]] = []
        self.request_times: list[tuple[str, float]] = []  # (path, monotonic time)
        self.ratelimit_exhausted: dict[str, int] = {}  # path -> seconds to reset, answered once
        self.faults: list[Fault] = []
        self.tokens: set[str] = set()
        self.token_requests = 0
        self._ids = itertools.count(1000)
        self._runner: web.AppRunner | None = None
        self.url = ""

    # lifecycle ------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # scripting the world --------------------------------------------------------------------
    def new_id(self) -> str:
        return _b36(next(self._ids))

    def add_post(
        self,
        subreddit: str,
        author: str | None,
        title: str,
        selftext: str = "",
        *,
        flair: str | None = None,
        age_s: float = 60.0,
        locked: bool = False,
        removed: bool = False,
        over_18: bool = False,
    ) -> str:
        """A new submission; returns its fullname (t3_...)."""
        pid = self.new_id()
        created = time.time() - age_s
        self.posts.append(
            {
                "id": pid,
                "name": f"t3_{pid}",
                "title": title,
                "selftext": "[removed]" if removed else selftext,
                "author": author if author is not None else "[deleted]",
                "subreddit": subreddit,
                "subreddit_name_prefixed": f"r/{subreddit}",
                "created_utc": created,
                "created": created,
                "locked": locked,
                "archived": False,
                "stickied": False,
                "over_18": over_18,
                "link_flair_text": flair,
                "removed_by_category": "moderator" if removed else None,
                "is_self": True,
                "num_comments": 0,
                "permalink": f"/r/{subreddit}/comments/{pid}/post/",
                "url": f"https://www.reddit.com/r/{subreddit}/comments/{pid}/post/",
            }
        )
        return f"t3_{pid}"

    def reply_to(self, parent: str, author: str, body: str) -> str:
        """Someone replies to one of the bot's comments: a comment_reply lands in the bot's inbox."""
        parent_comment = next(c for c in self.comments if c["name"] == parent)
        cid = self.new_id()
        sub = parent_comment["subreddit"]
        link_id = parent_comment["link_id"]
        self.inbox.append(
            {
                "kind": "t1",
                "data": {
                    "id": cid,
                    "name": f"t1_{cid}",
                    "author": author,
                    "body": body,
                    "subreddit": sub,
                    "parent_id": parent,
                    "link_id": link_id,
                    "link_title": "a post",
                    "context": f"/r/{sub}/comments/{link_id[3:]}/post/{cid}/?context=3",
                    "type": "comment_reply",
                    "was_comment": True,
                    "new": True,
                    "dest": self.username,
                    "created_utc": time.time(),
                },
            }
        )
        return f"t1_{cid}"

    def mention(self, post: str, author: str, body: str) -> str:
        """Someone writes u/<bot> in a comment under ``post``: a username_mention in the inbox."""
        data = next(p for p in self.posts if p["name"] == post)
        cid = self.new_id()
        self.inbox.append(
            {
                "kind": "t1",
                "data": {
                    "id": cid,
                    "name": f"t1_{cid}",
                    "author": author,
                    "body": body,
                    "subreddit": data["subreddit"],
                    "parent_id": post,
                    "link_id": post,
                    "link_title": data["title"],
                    "context": f"/r/{data['subreddit']}/comments/{data['id']}/post/{cid}/?context=3",
                    "type": "username_mention",
                    "was_comment": True,
                    "new": True,
                    "dest": self.username,
                    "created_utc": time.time(),
                },
            }
        )
        return f"t1_{cid}"

    def send_dm(self, author: str, body: str, subject: str = "hello") -> str:
        mid = self.new_id()
        self.inbox.append(
            {
                "kind": "t4",
                "data": {
                    "id": mid,
                    "name": f"t4_{mid}",
                    "author": author,
                    "body": body,
                    "subject": subject,
                    "dest": self.username,
                    "subreddit": None,
                    "was_comment": False,
                    "new": True,
                    "replies": "",
                    "first_message_name": None,
                    "parent_id": None,
                    "created_utc": time.time(),
                },
            }
        )
        return f"t4_{mid}"

    def fail(self, method: str, path: str, status: int, *, times: int = 1, **kw: Any) -> None:
        """The next ``times`` requests to ``path`` (prefix, without trailing slash) get ``status`` (``DROP``:
        the connection is closed unanswered); with ``takes_effect=True`` the request is carried out first."""
        self.faults.append(Fault(method.upper(), path.rstrip("/"), status, times, **kw))

    def revoke(self, new_password: str = "changed") -> None:
        """The account's password changes: tokens stop working and the old password is refused."""
        self.password = new_password
        self.tokens.clear()

    # queries for tests ----------------------------------------------------------------------
    def replies_to(self, fullname: str) -> list[dict[str, Any]]:
        return [c for c in self.comments if c["parent_id"] == fullname]

    def unread(self) -> list[str]:
        return [i["data"]["name"] for i in self.inbox if i["data"]["new"]]

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.requests if m == method and p.startswith(path))

    # HTTP -----------------------------------------------------------------------------------
    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        return web.json_response(data, status=status, headers={**RATELIMIT_HEADERS, **(headers or {})})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"].rstrip("/")
        path = path.removesuffix(".json")
        self.requests.append((request.method, path))
        self.request_times.append((path, time.monotonic()))
        if path in self.ratelimit_exhausted:
            # Answer normally but say the quota is used up for ``reset`` seconds.
            reset = self.ratelimit_exhausted.pop(path)
            response = await self._route(request, path)
            response.headers.update(
                {"x-ratelimit-remaining": "0", "x-ratelimit-used": "600", "x-ratelimit-reset": str(reset)}
            )
            return response
        return await self._route(request, path)

    async def _route(self, request: web.Request, path: str) -> web.Response:
        for fault in self.faults:
            if fault.times > 0 and fault.method == request.method and path.startswith(fault.path):
                fault.times -= 1
                if fault.takes_effect:
                    await self._serve(request, path)  # done; the answer is lost below
                if fault.status == DROP:
                    assert request.transport is not None
                    request.transport.abort()
                    return web.Response()  # never reaches the client
                body = fault.body if fault.body is not None else {"message": "fault", "error": fault.status}
                return self._json(body, status=fault.status, headers=fault.headers)
        return await self._serve(request, path)

    async def _serve(self, request: web.Request, path: str) -> web.Response:
        if path == "/api/v1/access_token":
            return await self._token(request)
        auth = request.headers.get("Authorization", "")
        if not auth.lower().startswith("bearer ") or auth.split(" ", 1)[1] not in self.tokens:
            return self._json(
                {"message": "Unauthorized", "error": 401},
                status=401,
                headers={"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'},
            )
        form = await request.post() if request.method == "POST" else {}
        if path == "/api/v1/me":
            return self._json({"name": self.username, "id": "bot1", "created_utc": 1.0, "comment_karma": 1})
        if path.startswith("/r/") and path.endswith("/new"):
            subs = {s.lower() for s in path.split("/")[2].split("+")}
            items = [
                {"kind": "t3", "data": p} for p in reversed(self.posts) if p["subreddit"].lower() in subs
            ]
            return self._listing(request, items)
        if path == "/message/unread":
            items = [i for i in reversed(self.inbox) if i["data"]["new"]]
            return self._listing(request, items)
        if path == "/api/read_message":
            ids = set(str(form.get("id", "")).split(","))
            for item in self.inbox:
                if item["data"]["name"] in ids:
                    item["data"]["new"] = False
            return self._json({})
        if path == "/api/comment":
            return self._comment(form)
        if path == "/api/compose":
            mid = self.new_id()
            self.sent_messages.append(
                {
                    "to": str(form.get("to", "")),
                    "subject": str(form.get("subject", "")),
                    "text": str(form.get("text", "")),
                    "name": f"t4_{mid}",
                    "created_utc": time.time(),
                }
            )
            return self._json({"json": {"errors": []}})
        if path.startswith("/user/") and path.endswith("/comments"):
            # The account's comments, newest first (asyncpraw's redditor.comments.new()).
            name = path.split("/")[2].lower()
            mine = name == self.username.lower()
            items = [
                {"kind": "t1", "data": dict(c)}
                for c in reversed(self.comments)
                if mine and c["name"][:3] == "t1_"
            ]
            return self._listing(request, items)
        if path == "/message/sent":
            return self._listing(request, self._sent_listing())
        return self._json({"message": "Not Found", "error": 404}, status=404)

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        auth = request.headers.get("Authorization", "")
        try:
            user, _, secret = base64.b64decode(auth.split(" ", 1)[1]).decode().partition(":")
        except Exception:  # noqa: BLE001 - any malformed header is a 401, like Reddit
            user, secret = "", ""
        if (user, secret) != (self.client_id, self.client_secret):
            return self._json({"message": "Unauthorized", "error": 401}, status=401)
        form = await request.post()
        if form.get("grant_type") != "password" or (form.get("username"), form.get("password")) != (
            self.username,
            self.password,
        ):
            return self._json({"error": "invalid_grant"})  # yes, HTTP 200
        token = f"tok-{self.new_id()}"
        self.tokens.add(token)
        return self._json({"access_token": token, "token_type": "bearer", "expires_in": 3600, "scope": "*"})

    def _listing(self, request: web.Request, items: list[dict[str, Any]]) -> web.Response:
        limit = int(request.query.get("limit", "25") or 25)
        before = request.query.get("before")
        if before:
            names = [i["data"]["name"] for i in items]
            # Like Reddit: the items newer than the anchor; an anchor that is gone gives nothing.
            items = (
                items[max(0, names.index(before) - limit) : names.index(before)] if before in names else []
            )
        else:
            items = items[:limit]
        return self._json(
            {
                "kind": "Listing",
                "data": {"children": items, "after": None, "before": None, "dist": len(items)},
            }
        )

    def _sent_listing(self) -> list[dict[str, Any]]:
        """What the bot sent privately, newest first: replies to DMs and new messages (/api/compose)."""
        sent: list[dict[str, Any]] = []
        for c in self.comments:
            if c["name"][:3] == "t4_":
                sent.append(
                    {
                        "name": c["name"],
                        "body": c["body"],
                        "dest": c["dest"],
                        "subject": c["subject"],
                        "parent_id": c["parent_id"],
                        "first_message_name": c["parent_id"],
                        "created_utc": c["created_utc"],
                    }
                )
        for m in self.sent_messages:
            sent.append(
                {
                    "name": m["name"],
                    "body": m["text"],
                    "dest": m["to"],
                    "subject": m["subject"],
                    "parent_id": None,
                    "first_message_name": None,
                    "created_utc": m["created_utc"],
                }
            )
        sent.sort(key=lambda m: m["created_utc"], reverse=True)
        return [
            {
                "kind": "t4",
                "data": {
                    **m,
                    "id": m["name"][3:],
                    "author": self.username,
                    "subreddit": None,
                    "was_comment": False,
                    "new": False,
                    "replies": "",
                },
            }
            for m in sent
        ]

    def _comment(self, form: Any) -> web.Response:
        parent = str(form.get("thing_id", ""))
        text = str(form.get("text", ""))
        kind = parent[:2]
        if kind == "t4":
            mid = self.new_id()
            original = next(i["data"] for i in self.inbox if i["data"]["name"] == parent)
            self.comments.append(
                {
                    "name": f"t4_{mid}",
                    "parent_id": parent,
                    "body": text,
                    "subreddit": None,
                    "link_id": None,
                    "dest": original["author"],
                    "subject": "re: " + original["subject"],
                    "created_utc": time.time(),
                }
            )
            thing = {
                "kind": "t4",
                "data": {
                    "id": mid,
                    "name": f"t4_{mid}",
                    "author": self.username,
                    "body": text,
                    "subject": "re: " + original["subject"],
                    "dest": original["author"],
                    "subreddit": None,
                    "was_comment": False,
                    "new": False,
                    "replies": "",
                    "parent_id": parent,
                    "first_message_name": parent,
                    "created_utc": time.time(),
                },
            }
            return self._json({"json": {"errors": [], "data": {"things": [thing]}}})
        if kind == "t3":
            post = next((p for p in self.posts if p["name"] == parent), None)
            if post is None:
                return self._json({"json": {"errors": [["DELETED_LINK", "that post was deleted", "parent"]]}})
            if post["locked"]:
                return self._json(
                    {"json": {"errors": [["THREAD_LOCKED", "that thread is locked", "parent"]]}}
                )
            sub, link_id = post["subreddit"], parent
        else:
            parent_data = next(
                (i["data"] for i in self.inbox if i["data"]["name"] == parent),
                next((c for c in self.comments if c["name"] == parent), None),
            )
            if parent_data is None:
                return self._json(
                    {"json": {"errors": [["DELETED_COMMENT", "that comment was deleted", "parent"]]}}
                )
            sub, link_id = parent_data["subreddit"], parent_data["link_id"]
        cid = self.new_id()
        data = {
            "id": cid,
            "name": f"t1_{cid}",
            "body": text,
            "author": self.username,
            "parent_id": parent,
            "link_id": link_id,
            "subreddit": sub,
            "created_utc": time.time(),
            "replies": "",
        }
        self.comments.append(dict(data))
        return self._json({"json": {"errors": [], "data": {"things": [{"kind": "t1", "data": data}]}}})
