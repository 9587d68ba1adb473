"""A client for r-runner, using the Python standard library only (Python 3.9+).

    from rrunner import Client
    client = Client("http://localhost:8000", token)
    result = client.run('png("p.png"); plot(1:10); invisible(dev.off()); cat("ok")')
    print(result["stdout"]); client.save_artifacts(result, "out")

Errors come back as RRunnerError subclasses named for the problem's status; each carries the problem's `type`,
`detail` and extra members (`field`, `requested`, `limit`, ...) as `problem`. `429` and `503` answers are retried,
honouring Retry-After, up to `max_retries` times.
"""

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Client", "RRunnerError", "BadRequest", "Unauthorized", "NotFound", "Conflict", "PayloadTooLarge",
           "Unprocessable", "TooManyRequests", "Unavailable", "RunTimedOut", "ResultOverdue"]

RETRYABLE = (429, 503)


class RRunnerError(Exception):
    """A problem answer (RFC 9457): `status`, `type`, `detail`, and the whole `problem` with its extra members."""

    def __init__(self, status, problem, headers=None):
        self.status = status
        self.problem = problem or {}
        self.type = self.problem.get("type", "about:blank")
        self.detail = self.problem.get("detail", "")
        self.headers = headers or {}
        super().__init__("%s %s: %s" % (status, self.problem.get("title", ""), self.detail))


class BadRequest(RRunnerError):
    pass


class Unauthorized(RRunnerError):
    pass


class NotFound(RRunnerError):
    pass


class RunTimedOut(RRunnerError):
    """408: the script ran past its timeout; its container was killed."""


class Conflict(RRunnerError):
    pass


class PayloadTooLarge(RRunnerError):
    pass


class Unprocessable(RRunnerError):
    pass


class TooManyRequests(RRunnerError):
    pass


class Unavailable(RRunnerError):
    pass


class ResultOverdue(RRunnerError):
    pass


_BY_STATUS = {400: BadRequest, 401: Unauthorized, 404: NotFound, 408: RunTimedOut, 409: Conflict,
              413: PayloadTooLarge, 422: Unprocessable, 429: TooManyRequests, 503: Unavailable, 504: ResultOverdue}


class Client:
    """One r-runner service. `timeout` bounds each HTTP call in seconds (a /run waits for the script)."""

    def __init__(self, base_url, token, timeout=300, max_retries=3):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_retries = max_retries

    def run(self, script, files=None, environment=None, limits=None):
        """Runs a script and returns its result: stdout, stderr, exit_code, artifacts, provenance."""
        return self._call("POST", "/run", self.request(script, files, environment, limits))

    def submit(self, script, files=None, environment=None, limits=None):
        """Queues a script; returns the job (its `id`, `status`)."""
        return self._call("POST", "/jobs", self.request(script, files, environment, limits))

    def job(self, job_id):
        return self._call("GET", "/jobs/" + urllib.parse.quote(job_id, safe=""))

    def wait(self, job_id, timeout=600, poll_seconds=30):
        """Long-polls until the job finished or `timeout` seconds passed; returns the job as it is then."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            wait = max(0, min(poll_seconds, int(remaining)))
            job = self._call("GET", "/jobs/%s?wait=%d" % (urllib.parse.quote(job_id, safe=""), wait))
            if job["status"] in ("succeeded", "failed", "timed_out", "cancelled") or remaining <= 0:
                return job

    def cancel(self, job_id):
        """Cancels a queued or running job; returns the job (`cancelled`, or `cancelling` while it stops)."""
        return self._call("DELETE", "/jobs/" + urllib.parse.quote(job_id, safe=""))

    def environments(self):
        return self._call("GET", "/environments")

    @staticmethod
    def save_artifacts(result, directory):
        """Writes the result's artifacts under `directory` (created), keeping their relative paths; returns them."""
        saved = []
        root = os.path.realpath(directory)
        for artifact in result.get("artifacts") or []:
            target = os.path.realpath(os.path.join(root, artifact["filename"]))
            if os.path.commonpath([root, target]) != root:
                raise ValueError("artifact path leaves the directory: %r" % artifact["filename"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            content = artifact["content"]
            data = base64.b64decode(content) if artifact["encoding"] == "base64" else content.encode("utf-8")
            with open(target, "wb") as out:
                out.write(data)
            saved.append(target)
        return saved

    @staticmethod
    def request(script, files=None, environment=None, limits=None):
        """The request body. `files` maps a relative path to bytes (sent as base64) or str (sent as UTF-8)."""
        body = {"script": script}
        if files:
            body["files"] = [
                {"path": path, "content": base64.b64encode(content).decode("ascii"), "encoding": "base64"}
                if isinstance(content, (bytes, bytearray)) else {"path": path, "content": content, "encoding": "utf-8"}
                for path, content in files.items()]
        if environment:
            body["environment"] = environment
        if limits:
            body["limits"] = limits
        return body

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        attempt = 0
        while True:
            request = urllib.request.Request(self.base_url + path, data=data, method=method, headers={
                "Authorization": "Bearer " + self.token, "Accept": "application/json",
                "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                problem = _problem(error)
                if error.code in RETRYABLE and attempt < self.max_retries:
                    attempt += 1
                    time.sleep(_retry_after(error.headers.get("Retry-After"), attempt))
                    continue
                raise _BY_STATUS.get(error.code, RRunnerError)(error.code, problem, dict(error.headers))


def _problem(error):
    try:
        return json.loads(error.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {"detail": error.reason}


def _retry_after(header, attempt):
    """Seconds to wait: the server's Retry-After when it sent whole seconds, else a short backoff."""
    if header and header.strip().isdigit():
        return min(int(header.strip()), 60)
    return min(2 ** attempt, 30)
