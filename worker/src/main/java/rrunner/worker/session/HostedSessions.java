package rrunner.worker.session;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import rrunner.common.job.JobId;
import rrunner.common.session.SessionId;

/** The sessions living on this worker, by id; what its heartbeat counts and its execs find their R in. */
public final class HostedSessions {

    private final ConcurrentMap<SessionId, HostedSession> sessions = new ConcurrentHashMap<>();

    public void add(HostedSession session) {
        sessions.put(session.id(), session);
    }

    public Optional<HostedSession> get(SessionId id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** Forgets the session; the caller closes its sandbox. Empty if it was forgotten already. */
    public Optional<HostedSession> remove(SessionId id) {
        return Optional.ofNullable(sessions.remove(id));
    }

    public Collection<HostedSession> all() {
        return List.copyOf(sessions.values());
    }

    public int size() {
        return sessions.size();
    }

    /** Interrupts the exec {@code id} wherever it runs here; false when no session here runs it. */
    public boolean interrupt(JobId id) {
        return sessions.values().stream().anyMatch(session -> session.interrupt(id));
    }
}
