/**
 * Stateful sessions' sandboxes: one confined container per session with a live R process that runs script after
 * script in the same global environment ({@link rrunner.worker.session.SessionSandbox}). The R side is a small loop
 * ({@code session-loop.R}) fed length-framed requests ({@link rrunner.worker.session.LiveR}); each exec's output is
 * cut at end markers carrying a nonce the script can't know ahead ({@link rrunner.worker.session.MarkerCut}); the
 * workspace's files are put, read, listed and deleted by short commands run inside the sandbox as its user
 * ({@link rrunner.worker.session.SessionWorkspace}).
 */
package rrunner.worker.session;
