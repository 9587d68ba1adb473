"""Tests of the client against a running r-runner: RRUNNER_URL and RRUNNER_TOKEN must name it.

    RRUNNER_URL=http://localhost:8000 RRUNNER_TOKEN=... python3 -m unittest -v test_rrunner
"""

import os
import tempfile
import unittest

import rrunner


def client(token=None):
    return rrunner.Client(os.environ["RRUNNER_URL"], token or os.environ["RRUNNER_TOKEN"], timeout=120)


class AgainstTheService(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        missing = [name for name in ("RRUNNER_URL", "RRUNNER_TOKEN") if not os.environ.get(name)]
        if missing:
            raise RuntimeError("set %s to a running r-runner" % ", ".join(missing))

    def test_run_returns_output_and_a_plot_that_saves_as_a_file(self):
        result = client().run('dir.create("plots"); png("plots/p.png"); plot(1:10); invisible(dev.off()); cat("ok")')

        self.assertEqual(result["stdout"], "ok")
        self.assertEqual(result["exit_code"], 0)
        with tempfile.TemporaryDirectory() as directory:
            saved = client().save_artifacts(result, directory)
            self.assertEqual([os.path.relpath(path, directory) for path in saved], [os.path.join("plots", "p.png")])
            with open(saved[0], "rb") as png:
                self.assertEqual(png.read(4), b"\x89PNG")

    def test_input_files_reach_the_script(self):
        result = client().run("d <- read.csv('data/in.csv'); cat(sum(d$y)); cat(readBin('b.bin', 'raw', 3))",
                              files={"data/in.csv": "x,y\n1,2\n3,4\n", "b.bin": bytes([1, 2, 255])})

        self.assertEqual(result["stdout"], "601 02 ff")
        self.assertEqual([f["path"] for f in result["provenance"]["input_files"]], ["data/in.csv", "b.bin"])

    def test_submit_wait_returns_the_finished_job(self):
        job = client().submit("cat(6 * 7)")
        finished = client().wait(job["id"], timeout=120)

        self.assertEqual(finished["status"], "succeeded")
        self.assertEqual(finished["result"]["stdout"], "42")

    def test_cancel_stops_a_running_job(self):
        job = client().submit("Sys.sleep(60)")
        client().cancel(job["id"])
        finished = client().wait(job["id"], timeout=60)

        self.assertEqual(finished["status"], "cancelled")

    def test_a_wrong_token_raises_unauthorized(self):
        with self.assertRaises(rrunner.Unauthorized) as raised:
            client("wrong-token").run("cat(1)")
        self.assertEqual(raised.exception.status, 401)

    def test_a_limit_over_the_maximum_raises_unprocessable_with_its_members(self):
        with self.assertRaises(rrunner.Unprocessable) as raised:
            client().run("cat(1)", limits={"memory_mb": 10 ** 7})

        self.assertEqual(raised.exception.type, "urn:rrunner:problem:limit-exceeded")
        self.assertEqual(raised.exception.problem["field"], "limits.memory_mb")
        self.assertEqual(raised.exception.problem["requested"], 10 ** 7)

    def test_a_script_over_the_size_limit_raises_payload_too_large(self):
        with self.assertRaises(rrunner.PayloadTooLarge):
            client().run("#" * 600000)

    def test_a_timeout_raises_run_timed_out(self):
        with self.assertRaises(rrunner.RunTimedOut):
            client().run("Sys.sleep(30)", limits={"timeout_seconds": 1})


class RetryAfter(unittest.TestCase):

    def test_whole_seconds_from_the_server_are_honoured_up_to_a_minute(self):
        self.assertEqual(rrunner._retry_after("3", 1), 3)
        self.assertEqual(rrunner._retry_after("600", 1), 60)

    def test_without_a_usable_header_the_wait_backs_off(self):
        self.assertEqual(rrunner._retry_after(None, 1), 2)
        self.assertEqual(rrunner._retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 3), 8)


if __name__ == "__main__":
    unittest.main()
