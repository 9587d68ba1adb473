/** The one JSON mapping used for everything gateway and worker exchange through Redis. */
package rrunner.common.json;
