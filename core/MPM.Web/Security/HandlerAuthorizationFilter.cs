using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using System.Reflection;

namespace MPM.Web.Security;

/// <summary>
/// Razor Pages only honour [Authorize] on the page model class. This filter also enforces it on handler methods,
/// so a page can be readable by every operator while its OnPost handlers need manager or admin.
/// </summary>
public sealed class HandlerAuthorizationFilter(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var attributes = context.HandlerMethod?.MethodInfo.GetCustomAttributes<AuthorizeAttribute>().ToList() ?? [];
        if (attributes.Count > 0 && await AuthorizationPolicy.CombineAsync(policies, attributes) is { } policy)
        {
            var authentication = await evaluator.AuthenticateAsync(policy, context.HttpContext);
            var result = await evaluator.AuthorizeAsync(policy, authentication, context.HttpContext, context);
            if (!result.Succeeded)
            {
                context.Result = result.Challenged ? new ChallengeResult(policy.AuthenticationSchemes.ToList()) : new ForbidResult(policy.AuthenticationSchemes.ToList());
                return;
            }
        }

        await next();
    }
}
