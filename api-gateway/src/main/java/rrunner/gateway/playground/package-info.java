/** The web playground: static files served by the gateway under a strict Content-Security-Policy. */
package rrunner.gateway.playground;
