/** The worker's own settings and the beans that wire its parts together. */
package rrunner.worker.config;
