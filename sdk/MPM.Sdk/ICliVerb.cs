namespace MPM.Sdk;

/// <summary>A command-line verb. Returns the process exit code: 0 success, 2 bad usage.</summary>
public interface ICliVerb
{
    /// <param name="args">The words after the verb's name.</param>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken);
}
