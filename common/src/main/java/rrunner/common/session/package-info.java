/**
 * Stateful R sessions as the gateway and the worker share them: a session's identity, its states and what it was
 * opened with. The Redis side of the protocol is {@code rrunner.common.queue.SessionStore}.
 */
package rrunner.common.session;
