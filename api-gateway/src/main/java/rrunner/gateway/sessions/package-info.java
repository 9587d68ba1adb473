/**
 * {@code /sessions}: live R sessions that keep objects and packages between execs. The gateway stores and checks
 * them in Redis ({@code SessionStore}); the worker a session lives on runs its R.
 */
package rrunner.gateway.sessions;
