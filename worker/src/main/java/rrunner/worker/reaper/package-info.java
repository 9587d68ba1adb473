/** Removing what crashed workers left behind: labelled containers and volumes no live job owns. */
package rrunner.worker.reaper;
