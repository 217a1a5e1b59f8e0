using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MPM.Integration.Tests.Support;

/// <summary>One captured log line: its category, level, text, structured properties (its own and its scopes') and exception.</summary>
public sealed record CapturedLine(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception = null);

/// <summary>A logger provider that keeps every line with the properties of the scopes it was logged in.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLine> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((scope, found) => Add(scope, found), properties);
            Add(state, properties);
            owner.Lines.Enqueue(new CapturedLine(category, logLevel, formatter(state, exception), properties, exception));
        }

        private static void Add(object? state, Dictionary<string, object?> properties)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    properties[key] = value;
                }
            }
        }
    }
}
