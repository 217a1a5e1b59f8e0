using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MPM.Samples.Hello.Areas.HelloSample.Pages;

public sealed class IndexModel(Greeter greeter) : PageModel
{
    public string Message { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Message = await greeter.GreetAsync(User.Identity?.Name, cancellationToken);
}
