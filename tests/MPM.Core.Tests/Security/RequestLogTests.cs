using Microsoft.AspNetCore.Http;
using MPM.Web.Security;
using Xunit;

namespace MPM.Core.Tests.Security;

public sealed class RequestLogTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("?", "")]
    [InlineData("?Kind=api-key&p=2", "?Kind=api-key&p=2")]
    [InlineData("?key=s3cret", "?key=***")]
    [InlineData("?from=%2B255713&key=s3cret&text=hi", "?from=%2B255713&key=***&text=hi")]
    [InlineData("?access_token=abc&api%5Fkey=def&X-Signature=0f&password=pw&authHeader=x", "?access_token=***&api%5Fkey=***&X-Signature=***&password=***&authHeader=***")]
    [InlineData("?KEY=S3CRET&flag", "?KEY=***&flag")]
    public void CredentialLikeQueryValuesAreRedactedAndTheRestKept(string query, string expected) =>
        Assert.Equal(expected, RequestLog.Redact(new QueryString(query)));
}
