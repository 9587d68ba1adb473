package rrunner.common.queue;

/** The admission limit on waiting jobs was reached; the caller should retry later. */
public class QueueFullException extends RuntimeException {

    private final int maxDepth;

    public QueueFullException(int maxDepth) {
        super("the queue is full (" + maxDepth + " jobs waiting); retry later");
        this.maxDepth = maxDepth;
    }

    public int maxDepth() {
        return maxDepth;
    }
}
