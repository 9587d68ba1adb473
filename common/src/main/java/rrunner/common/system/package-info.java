/** What the execution image offers ({@code GET /system}), computed by workers and published through Redis. */
package rrunner.common.system;
