/**
 * Runs one job's R script in a fresh, locked-down Docker container and collects its output and files:
 * container settings ({@link rrunner.worker.sandbox.SandboxProperties},
 * {@link rrunner.worker.sandbox.ContainerFactory}),
 * the script's exec with its bounded output ({@link rrunner.worker.sandbox.ScriptExec},
 * {@link rrunner.worker.sandbox.OutputCapture}), artifact reading as data once the script's processes are stopped
 * ({@link rrunner.worker.sandbox.WorkspaceReader}, {@link rrunner.worker.sandbox.ArtifactArchive}, skipped entries
 * counted by {@link rrunner.worker.sandbox.SkippedEntry}) and the orchestration with timeout, cancel and cleanup
 * ({@link rrunner.worker.sandbox.ContainerRunner}). Sandboxes can also be prepared before their job, R loaded and
 * waiting for the script ({@link rrunner.worker.sandbox.SandboxPreparer},
 * {@link rrunner.worker.sandbox.WarmSandbox}); a runner takes them from its
 * {@link rrunner.worker.sandbox.WarmSandboxes} and runs them with the same code as cold ones.
 */
package rrunner.worker.sandbox;
