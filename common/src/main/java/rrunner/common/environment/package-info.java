/**
 * Named environments: which image a job runs in and the limits it may ask for, as operators configure them, and
 * what each worker reports about them.
 */
package rrunner.common.environment;
