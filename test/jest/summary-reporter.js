/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that CI and humans can
 * read without parsing Jest's own summary.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`;
    process.stdout.write(`\ntests: ${line}\n`);
  }
}
module.exports = SummaryReporter;
