package rrunner.common.queue;

import rrunner.common.session.SessionId;
import rrunner.common.session.SessionSpec;

/** A session a worker took to start: it now lives on that worker, whose lane its execs are queued on. */
public record ClaimedSession(SessionId id, SessionSpec spec) {
}
