using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace MPM.Integration.Tests.Support;

public static class StartFailure
{
    /// <summary>Starts the host, which must fail; returns the messages of the exception and its inner exceptions.</summary>
    public static List<string> Messages<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        var error = Record.Exception(() => factory.CreateClient());
        Assert.NotNull(error);
        var messages = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
        }

        return messages;
    }
}
